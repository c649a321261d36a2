// Keyboard shortcuts for the review queue, as progressive enhancement: every action is a plain
// form that works without this script. On the queue: j / k move to the next / previous item,
// a approves the focused item, r moves to its reject reason, x ticks it for a bulk action.
// Nothing is stored on the device.
(function () {
  'use strict';

  /** Typing in these must never trigger a shortcut. */
  var TYPING = 'textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=submit])';

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('.queue-item'));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest('.queue-item') : null;
  }

  function focusItem(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: 'nearest' });
  }

  function move(step) {
    var list = items();
    if (list.length === 0) return;
    var index = list.indexOf(current());
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, index + step));
    focusItem(list[next]);
  }

  function approve(item) {
    var form = item && item.querySelector('form.approve');
    if (!form) return;
    var button = form.querySelector('button[type=submit]');
    if (form.requestSubmit) form.requestSubmit(button || undefined);
    else form.submit();
  }

  function focusReason(item) {
    var select = item && item.querySelector('select.reject-reason');
    if (select) select.focus();
  }

  function tick(item) {
    var box = item && item.querySelector('input.select[type=checkbox]');
    if (box) box.click();
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    var target = event.target;
    if (target && target.matches && target.matches(TYPING)) return;
    var actions = {
      j: function () { move(1); },
      k: function () { move(-1); },
      a: function () { approve(current()); },
      r: function () { focusReason(current()); },
      x: function () { tick(current()); },
    };
    var action = actions[event.key];
    if (!action || items().length === 0) return;
    event.preventDefault();
    action();
  });
})();
