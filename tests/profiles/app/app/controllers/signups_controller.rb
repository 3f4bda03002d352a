ACME = Acme::Client.new(api_key: 'ak_0123456789abcdefghijklmn')
ACME_ADMIN_KEY = 'as_0123456789ABCDEFGHIJKLMN'

class SignupsController < ApplicationController
  def create
    ACME.track(current_user.id, 'signed_up', plan: 'pro')
  end
end
