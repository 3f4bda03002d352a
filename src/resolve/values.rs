//! What a call's event name and identities hold when the call does not spell them: a local
//! assigned before it (`name = cond ? 'A' : 'B'`, `if … else` assigning one name), a choice
//! written in place (`user.email || user.id`, `x if c else y`), a class attribute
//! (`self.event_name` with `event_name = "Job Done"` in the class body).
//!
//! A call whose value can be one of several is checked once per value: it is expanded into
//! one call per combination, each value at the place it is written, so every rule sees every
//! literal without knowing about choices. Only evidence counts: a name whose assignments are
//! not all known is left as it is (a local also set from a function's result may hold
//! anything), and a wrapper's parameter is never read as a local (its value comes from each
//! call site).

use super::Resolver;
use crate::model::{Call, Value, ValueKind};

/// Calls one site can become at most: choices multiply.
const MAX_VARIANTS: usize = 8;
/// Locals assigned from locals, followed this deep.
const MAX_HOPS: usize = 4;

/// The call once per value its event and identities can hold (the call itself when they hold
/// one value, or nothing is known).
pub fn expand(resolver: &Resolver, file: usize, call: Call) -> Vec<Call> {
    let written = |v: &Value| matches!(v.kind, ValueKind::Str(_) | ValueKind::Template(_));
    // An identity is compared with other calls' by its expression: a local is replaced only by
    // what names the user the same way (`user.email`, a literal), never by a call's result.
    let identity_like =
        |v: &Value| matches!(v.kind, ValueKind::Str(_) | ValueKind::Path(_) | ValueKind::Number(_));
    let place = Place { resolver, file, scope: call.scope, before: call.span.start };
    let events = call.event.as_ref().and_then(|e| place.options(e, MAX_HOPS, &written));
    let identities: Vec<Option<Vec<Value>>> =
        call.identities.iter().map(|i| place.options(&i.value, MAX_HOPS, &identity_like)).collect();
    if events.is_none() && identities.iter().all(Option::is_none) {
        return vec![call];
    }
    let mut variants = vec![call];
    if let Some(events) = events {
        variants = multiply(variants, &events, |c, v| c.event = Some(v));
    }
    for (i, options) in identities.iter().enumerate() {
        if let Some(options) = options {
            variants = multiply(variants, options, |c, v| {
                if let Some(identity) = c.identities.get_mut(i) {
                    identity.value = v;
                }
            });
        }
    }
    variants
}

/// The call with its properties read from the local that holds them (`props = { plan: .. }`
/// then `track('X', props)`), when the local holds exactly one object there. The object may
/// gain keys after it is written (`props.extra = ..`), which is not followed: it is marked open,
/// so rules that need a key to be absent stay silent, while what it does hold is checked.
/// An object literal that spreads such a local (`{ ...trackingProps, variant: 'upgrade' }`) holds
/// its keys too (those it does not write itself).
pub fn with_local_properties(resolver: &Resolver, file: usize, call: &mut Call) {
    let place = Place { resolver, file, scope: call.scope, before: call.span.start };
    let Some(properties) = &mut call.properties else { return };
    if let ValueKind::Object(o) = &mut properties.kind {
        let spread: Vec<crate::model::Entry> = o
            .spreads
            .iter()
            .filter_map(|s| place.one_object(s))
            .flat_map(|v| match v.kind {
                ValueKind::Object(inner) => inner.entries,
                _ => Vec::new(),
            })
            .collect();
        for entry in spread {
            if !o.entries.iter().any(|e| e.key == entry.key) {
                o.entries.push(entry);
            }
        }
        return;
    }
    if let Some(mut object) = place.one_object(properties) {
        if let ValueKind::Object(o) = &mut object.kind {
            o.has_spread = true;
        }
        *properties = object;
    }
}

/// The object a local holds where `site` reads it (`dataLayer.push(purchase)` after
/// `const purchase = { event: .. }`), when it holds exactly that one object.
pub fn local_object(
    resolver: &Resolver,
    file: usize,
    site: &crate::model::CallSite,
    value: &Value,
) -> Option<Value> {
    Place { resolver, file, scope: site.scope, before: site.span.start }.one_object(value)
}

/// Every call once per option (bounded: the first options win when choices multiply).
fn multiply(calls: Vec<Call>, options: &[Value], set: impl Fn(&mut Call, Value)) -> Vec<Call> {
    let room = (MAX_VARIANTS / calls.len().max(1)).max(1);
    let mut out = Vec::with_capacity(calls.len() * options.len().min(room));
    for call in calls {
        for option in options.iter().take(room) {
            let mut variant = call.clone();
            set(&mut variant, option.clone());
            out.push(variant);
        }
    }
    out
}

/// Where a value is read: a file, the scope of the call, and the call's position (a local
/// assigned after the call does not reach it).
struct Place<'r, 'a> {
    resolver: &'r Resolver<'a>,
    file: usize,
    scope: u32,
    before: usize,
}

impl Place<'_, '_> {
    /// The one object the local `value` names holds here, if it holds exactly one.
    fn one_object(&self, value: &Value) -> Option<Value> {
        let ValueKind::Path(_) = value.kind else { return None };
        let is_object = |v: &Value| matches!(v.kind, ValueKind::Object(_));
        match self.options(value, MAX_HOPS, &is_object)?.as_slice() {
            [object] => Some(object.clone()),
            _ => None,
        }
    }

    /// The values `value` can hold, when that differs from the value as written and every one
    /// of them passes `accept`.
    fn options(&self, value: &Value, hops: usize, accept: &dyn Fn(&Value) -> bool) -> Option<Vec<Value>> {
        let options = self.leaves(value, hops, accept)?;
        (options.len() != 1 || options[0] != *value).then_some(options)
    }

    fn leaves(&self, value: &Value, hops: usize, accept: &dyn Fn(&Value) -> bool) -> Option<Vec<Value>> {
        let mut out: Vec<Value> = Vec::new();
        let mut push = |v: Value| {
            if !out.contains(&v) {
                out.push(v);
            }
        };
        match &value.kind {
            ValueKind::OneOf(options) if hops > 0 => {
                // `user.email if user else None`: the `None` branch sends nothing to check.
                for option in options.iter().filter(|o| !matches!(o.kind, ValueKind::Null)) {
                    for v in self.leaves(option, hops - 1, accept)? {
                        push(v);
                    }
                }
            }
            ValueKind::Path(path) if hops > 0 && path.segments.len() == 1 => {
                let Some(assigned) = self.local(&path.segments[0]) else {
                    // Ruby `event_name`: a method call on `self`, maybe a class attribute.
                    if self.resolver.files[self.file].language == crate::model::Language::Ruby {
                        if let Some(object) = self.returned_object(&path.segments[0]).filter(|o| accept(o)) {
                            push(object);
                            return Some(out);
                        }
                        let values = match self.attribute(&path.segments[0]) {
                            Some(text) => vec![text],
                            None => self.heirs_attribute(&path.segments[0]),
                        };
                        if !values.is_empty() {
                            for text in values {
                                push(Value::new(ValueKind::Str(text), value.span));
                            }
                            return Some(out);
                        }
                    }
                    return self.as_written(value, accept);
                };
                // `event = None` before `if ..: event = EVENT`: the `None` sends nothing to
                // check, as in a choice.
                for v in assigned.into_iter().filter(|v| !matches!(v.kind, ValueKind::Null)) {
                    for v in self.leaves(v, hops - 1, accept)? {
                        push(v);
                    }
                }
            }
            ValueKind::Path(path)
                if path.segments.len() == 2 && matches!(path.segments[0].as_str(), "self" | "this") =>
            {
                match self.attribute(&path.segments[1]) {
                    Some(text) => push(Value::new(ValueKind::Str(text), value.span)),
                    None => {
                        // A base class reading what each subclass sets (`event_name = ".."`).
                        let overridden = self.heirs_attribute(&path.segments[1]);
                        if overridden.is_empty() {
                            return self.as_written(value, accept);
                        }
                        for text in overridden {
                            push(Value::new(ValueKind::Str(text), value.span));
                        }
                    }
                }
            }
            // `data = clean(user, {..})` where `clean` gives its argument back, or
            // `get_user_id(request.user)` where it gives `user.email or user.username`.
            ValueKind::Call { callee, args } if hops > 0 => {
                let facts = self.resolver.files[self.file].facts;
                let Some(given) = facts.given_back(callee, args, value.span) else {
                    return self.as_written(value, accept);
                };
                for given in given.iter().filter(|v| !matches!(v.kind, ValueKind::Null)) {
                    for v in self.leaves(given, hops - 1, accept)? {
                        push(v);
                    }
                }
            }
            _ => return self.as_written(value, accept),
        }
        (!out.is_empty()).then_some(out)
    }

    /// A value that is not a choice or a local: itself, or the string a constant holds
    /// (`name = EVENTS.SIGNED_UP`).
    fn as_written(&self, value: &Value, accept: &dyn Fn(&Value) -> bool) -> Option<Vec<Value>> {
        if accept(value) {
            return Some(vec![value.clone()]);
        }
        let ValueKind::Path(path) = &value.kind else { return None };
        let text = self.resolver.constant(self.file, &path.segments)?;
        let constant = Value::new(ValueKind::Str(text), value.span);
        accept(&constant).then(|| vec![constant])
    }

    /// The values assigned to a local of the call's function before the call; `None` when the
    /// name is not a local there, or is one of the function's parameters.
    fn local(&self, name: &str) -> Option<Vec<&Value>> {
        let facts = self.resolver.files[self.file].facts;
        let chain: Vec<u32> = facts.scope_chain(self.scope).collect();
        let is_parameter = facts
            .functions
            .iter()
            .filter(|f| chain.contains(&f.scope))
            .any(|f| f.params.iter().any(|p| p.name == name));
        if is_parameter {
            return None;
        }
        let assigned = facts.assigned_before(name, self.scope, self.before);
        (!assigned.is_empty()).then_some(assigned)
    }

    /// The values the subclasses of the call's class (in any file, at any depth) give an
    /// attribute the class itself does not set: a base class's method reading
    /// `self.event_name` sends each of them.
    fn heirs_attribute(&self, name: &str) -> Vec<String> {
        let facts = self.resolver.files[self.file].facts;
        let language = self.resolver.files[self.file].language;
        let Some(owner) = facts.owner_at(self.scope) else { return Vec::new() };
        let mut family: Vec<String> = vec![owner.to_string()];
        let mut values = Vec::new();
        let mut i = 0;
        while i < family.len() && family.len() < 256 {
            let parent = family[i].clone();
            for f in self.resolver.files.iter().filter(|f| f.language == language) {
                for c in f.facts.classes.iter().filter(|c| {
                    c.superclass.as_deref() == Some(parent.as_str()) || c.mixins.contains(&parent)
                }) {
                    if family.contains(&c.name) {
                        continue;
                    }
                    let key = format!("{}.{name}", c.name);
                    if let Some((_, Value { kind: ValueKind::Str(v), .. })) =
                        f.facts.constants.iter().find(|(k, _)| *k == key)
                        && !values.contains(v)
                    {
                        values.push(v.clone());
                    }
                    family.push(c.name.clone());
                }
            }
            i += 1;
        }
        values.truncate(MAX_VARIANTS);
        values
    }

    /// The hash an argument-less method of the call's class returns (`def event_details;
    /// { event: 'Main Page' }; end`), as written there.
    fn returned_object(&self, name: &str) -> Option<Value> {
        self.class_constant('#', name).cloned()
    }

    /// What the frontend recorded for `name` of the class whose method holds the call, under
    /// `Class.name` (an attribute) or `Class#name` (an instance method's returned hash).
    fn class_constant(&self, separator: char, name: &str) -> Option<&Value> {
        let facts = self.resolver.files[self.file].facts;
        let key = format!("{}{separator}{name}", facts.owner_at(self.scope)?);
        facts.constants.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A string attribute of the class whose method holds the call (`event_name = "Job Done"`
    /// in a Python class body, read as `self.event_name`).
    fn attribute(&self, name: &str) -> Option<String> {
        self.class_constant('.', name).and_then(Value::as_str).map(str::to_string)
    }
}
