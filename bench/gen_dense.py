#!/usr/bin/env python3
"""Generates the dense benchmark corpus: app-like Ruby and JavaScript files where every file
holds several tracking calls, so the prefilter can skip nothing. Deterministic for a given seed.

usage: gen_dense.py OUT_DIR FILES   (FILES: a number, or 5k / 10k / 20k)
"""
import os
import random
import sys

EVENTS = ["Signed Up", "Order Completed", "signed_up", "order_completed", "Page Viewed",
          "Plan Upgraded", "invite_sent", "Report Exported", "checkout_started", "Item Added"]

RUBY = '''# frozen_string_literal: true

module Billing{n}
  class {cls}Controller < ApplicationController
    before_action :authenticate_user!

    def create
      @order = current_user.orders.build(order_params)
      if @order.save
        TRACKER.track(current_user.id, '{e1}', {{ 'plan' => @order.plan, 'amount' => @order.total }})
        TRACKER.people.set(current_user.id, {{ '$email' => current_user.email, 'paid' => true }})
        redirect_to @order, notice: 'Order was created.'
      else
        render :new, status: :unprocessable_entity
      end
    end

    def update
      @order = Order.find(params[:id])
      @order.update!(order_params)
      TRACKER.track(current_user.id, '{e2}', {{ 'order_id' => @order.id }})
      respond_to do |format|
        format.html {{ redirect_to @order }}
        format.json {{ render json: @order }}
      end
    end

    def backfill
      User.find_each do |user|
        TRACKER.people.set(user.id, {{ 'signup_date' => user.created_at }})
      end
    end

    private

    def order_params
      params.require(:order).permit(:plan, :quantity, :coupon_code, :notes)
    end
  end
end
'''

JS = '''import mixpanel from 'mixpanel-browser';
import {{ api }} from '../api';

export class {cls}Store {{
  constructor(user) {{
    this.user = user;
    this.items = [];
  }}

  async load() {{
    const response = await api.get(`/items/${{this.user.id}}`);
    this.items = response.data.map((item) => ({{ ...item, selected: false }}));
    mixpanel.track('{e1}', {{ count: this.items.length, source: 'store' }});
    return this.items;
  }}

  add(item) {{
    this.items.push(item);
    mixpanel.track('{e2}', {{ id: item.id, price: item.price }});
    mixpanel.people.set({{ last_item: item.name, has_items: true }});
  }}

  identify() {{
    mixpanel.identify(this.user.id);
    mixpanel.register({{ plan: this.user.plan }});
  }}

  total() {{
    return this.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  }}
}}
'''


def main():
    out, size = sys.argv[1], sys.argv[2].lower()
    count = int(size[:-1]) * 1000 if size.endswith("k") else int(size)
    rng = random.Random(42)
    os.makedirs(os.path.join(out, "config", "initializers"), exist_ok=True)
    with open(os.path.join(out, "config", "initializers", "mixpanel.rb"), "w") as f:
        f.write("TRACKER = Mixpanel::Tracker.new(ENV.fetch('MIXPANEL_TOKEN'))\n")
    for i in range(count):
        ruby = i % 2 == 0
        folder = os.path.join(out, "app" if ruby else "web", f"part{i // 500}")
        os.makedirs(folder, exist_ok=True)
        template = RUBY if ruby else JS
        text = template.format(n=i, cls=f"Feature{i}", e1=rng.choice(EVENTS), e2=rng.choice(EVENTS))
        with open(os.path.join(folder, f"feature_{i}.{'rb' if ruby else 'js'}"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
