/* Sentinella, the trainer's page (command line face, loopback only). The
   secret key is in the address's fragment and goes in a header. */
(function () {
  'use strict';
  var key = (window.location.hash || '').replace('#', '');
  var labels = { open: 'Votazione aperta.', closed: 'Votazione chiusa, risultati nascosti.', revealed: 'Risultati mostrati.' };

  function $(id) { return document.getElementById(id); }
  function plural(n, one, many) { return n === 1 ? one : many; }

  function api(method, path) {
    return fetch(path, { method: method, headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); },
            function () { return { ok: false, data: { message: 'Il server di voto non risponde.' } }; });
  }

  function render(s) {
    var v = s.view.question;
    $('url').textContent = s.url;
    $('code').textContent = s.code;
    $('q-progress').textContent = 'Domanda ' + (v.index + 1) + ' di ' + v.total;
    $('q-title').textContent = v.title;
    $('q-state').textContent = labels[v.state] || '';
    $('voted').textContent = s.view.voted + ' ' + plural(s.view.voted, 'persona ha votato', 'persone hanno votato') +
      ' su ' + s.view.joined + ' ' + plural(s.view.joined, 'collegata', 'collegate') + '.';
    var results = $('results');
    if (v.state === 'revealed' && v.counts) {
      var list = $('bars');
      list.innerHTML = '';
      var total = 0, i;
      for (i = 0; i < v.counts.length; i++) { total += v.counts[i]; }
      for (i = 0; i < v.options.length; i++) {
        var n = v.counts[i];
        var pct = total ? Math.round(100 * n / total) : 0;
        var item = document.createElement('li');
        var label = document.createElement('div');
        label.textContent = v.options[i] + ': ' + n + ' (' + pct + '%)';
        var track = document.createElement('div');
        track.className = 'track';
        var fill = document.createElement('div');
        fill.className = 'fill';
        fill.style.width = pct + '%';
        track.appendChild(fill);
        item.appendChild(label);
        item.appendChild(track);
        list.appendChild(item);
      }
      results.hidden = false;
    } else {
      results.hidden = true;
    }
  }

  function refresh() {
    api('GET', '/trainer/api/state').then(function (r) {
      if (r.ok) { render(r.data); } else { $('alert').textContent = r.data.message || ''; }
    });
  }

  function loadQr() {
    fetch('/trainer/api/qr.svg', { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : ''; })
      .then(function (svg) { if (svg) { $('qr').src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg); } });
  }

  function start() {
    var buttons = document.querySelectorAll('[data-action]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (e) {
        var action = e.currentTarget.getAttribute('data-action');
        if (action === 'reset' && !window.confirm('Azzerare tutti i voti di questa sessione?')) { return; }
        $('alert').textContent = '';
        api('POST', '/trainer/api/' + action).then(function (r) {
          if (r.ok) { render(r.data); } else { $('alert').textContent = r.data.message || ''; }
        });
      });
    }
    loadQr();
    refresh();
    window.setInterval(refresh, 1000);
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
