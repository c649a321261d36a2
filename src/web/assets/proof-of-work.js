// Progressive enhancement for the statement form: solves an ALTCHA proof-of-work challenge
// (https://altcha.org/docs/) in the browser and puts the solution in the hidden `altcha`
// field. Without JavaScript the form still works; the server then applies stricter limits.
// Loaded from this origin only; uses the browser's own SHA-256 (WebCrypto).
(function () {
  'use strict';
  var form = document.querySelector('form[data-challenge-url]');
  if (!form || !window.crypto || !window.crypto.subtle || !window.fetch) return;
  var field = form.querySelector('input[name="altcha"]');
  var status = form.querySelector('.pow-status');
  var solution = null;
  var sending = false;

  function say(key) {
    if (status) status.textContent = status.getAttribute(key) || '';
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var n = 0; n <= challenge.maxnumber; n++) {
      var digest = await crypto.subtle.digest('SHA-256', encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) return n;
    }
    return null;
  }

  var solving = fetch(form.getAttribute('data-challenge-url'), { credentials: 'omit', cache: 'no-store' })
    .then(function (response) {
      if (!response.ok) throw new Error('challenge ' + response.status);
      return response.json();
    })
    .then(function (challenge) {
      say('data-working');
      return solve(challenge).then(function (number) {
        if (number === null) return;
        solution = btoa(JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        }));
        field.value = solution;
        say('data-done');
      });
    })
    .catch(function () { /* no proof-of-work: the server accepts the form under stricter limits */ });

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    // "Add another person" sends nothing, so it needs no proof.
    if (solution || sending || (submitter && submitter.name === 'action')) return;
    // Wait for the solution (a second or two) rather than sending without it.
    event.preventDefault();
    sending = true;
    solving.then(function () { form.submit(); });
  });
})();
