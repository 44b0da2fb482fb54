/* Sentinella, the phone's voting page. Plain ES5, fetch and EventSource
   (polling when there is no EventSource or the stream fails): no framework,
   so that a phone browser of a few years ago runs it. */
(function () {
  'use strict';

  var KEY = 'sentinella-device';
  var POLL_MS = 3000;
  var state = { code: '', epoch: 0, view: null, mine: {}, source: null, poll: null, shownId: null };

  function $(id) { return document.getElementById(id); }

  function deviceToken() {
    var t = null;
    try { t = window.localStorage.getItem(KEY); } catch (e) { t = null; }
    if (!t || !/^[A-Za-z0-9_-]{16,64}$/.test(t)) {
      var bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      t = '';
      for (var i = 0; i < bytes.length; i++) { t += ('0' + bytes[i].toString(16)).slice(-2); }
      try { window.localStorage.setItem(KEY, t); } catch (e2) { /* private mode: this page only */ }
    }
    return t;
  }
  var device = deviceToken();

  function say(text) { $('status').textContent = text; }
  function warn(text) { $('alert').textContent = text || ''; }

  function api(method, path, body) {
    var options = { method: method, headers: {}, cache: 'no-store', credentials: 'same-origin' };
    if (body) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (r) {
      return r.json().then(
        function (data) { return { ok: r.ok, status: r.status, data: data }; },
        function () { return { ok: r.ok, status: r.status, data: {} }; });
    }, function () {
      return { ok: false, status: 0, data: { message: 'Collegamento assente: controlla di essere sulla rete Wi-Fi della sala.' } };
    });
  }

  function plural(n, one, many) { return n === 1 ? one : many; }

  function join(code) {
    warn('');
    return api('POST', '/api/join', { code: code, token: device }).then(function (r) {
      if (!r.ok) {
        warn(r.data.message || 'Non è stato possibile entrare.');
        $('join').hidden = false;
        $('question').hidden = true;
        $('code').focus();
        return false;
      }
      state.code = code;
      try { window.sessionStorage.setItem('sentinella-code', code); } catch (e) { /* ignore */ }
      if (state.epoch !== r.data.epoch) { state.mine = {}; }
      state.epoch = r.data.epoch;
      $('join').hidden = true;
      $('question').hidden = false;
      render(r.data.question);
      listen();
      return true;
    });
  }

  function optionRow(view, i) {
    var id = 'opt-' + i;
    var row = document.createElement('label');
    row.className = 'option';
    row.setAttribute('for', id);
    var input = document.createElement('input');
    input.type = 'radio';
    input.name = 'option';
    input.id = id;
    input.value = String(i);
    var text = document.createElement('span');
    text.textContent = view.options[i];
    row.appendChild(input);
    row.appendChild(text);
    return row;
  }

  function render(view) {
    if (!view) { return; }
    if (view.epoch !== state.epoch) {
      // The trainer reset the session: join again with the same code.
      state.mine = {};
      state.epoch = 0;
      join(state.code);
      return;
    }
    state.view = view;
    var fresh = state.shownId !== view.id;
    state.shownId = view.id;
    $('q-progress').textContent = 'Domanda ' + (view.index + 1) + ' di ' + view.total;
    $('q-title').textContent = view.title;
    var box = $('options');
    if (fresh) {
      box.innerHTML = '';
      for (var i = 0; i < view.options.length; i++) { box.appendChild(optionRow(view, i)); }
      warn('');
    }
    var mine = state.mine[view.id];
    var open = view.state === 'open';
    var inputs = box.getElementsByTagName('input');
    for (var j = 0; j < inputs.length; j++) {
      inputs[j].disabled = !open;
      if (fresh && mine !== undefined) { inputs[j].checked = Number(inputs[j].value) === mine; }
      inputs[j].parentNode.className = 'option' + (Number(inputs[j].value) === mine ? ' chosen' : '');
    }
    $('send').disabled = !open;
    $('send').hidden = !open;
    if (open) {
      say(mine === undefined ? '' : 'Hai risposto: ' + view.options[mine] + '. Puoi cambiare la risposta finché la votazione è aperta.');
    } else if (view.state === 'closed') {
      say('Votazione chiusa: i risultati appariranno quando il formatore li mostrerà.');
    } else {
      say('Ecco le risposte della sala.');
    }
    showResults(view);
    if (fresh) { $('q-title').focus(); }
  }

  function showResults(view) {
    var results = $('results');
    if (view.state !== 'revealed' || !view.counts) { results.hidden = true; return; }
    var total = 0;
    for (var i = 0; i < view.counts.length; i++) { total += view.counts[i]; }
    var list = $('bars');
    list.innerHTML = '';
    for (var k = 0; k < view.options.length; k++) {
      var n = view.counts[k];
      var pct = total ? Math.round(100 * n / total) : 0;
      var item = document.createElement('li');
      var label = document.createElement('div');
      label.className = 'bar-label';
      label.textContent = view.options[k] + ': ' + n + ' ' + plural(n, 'risposta', 'risposte') + ' (' + pct + '%)';
      var track = document.createElement('div');
      track.className = 'track';
      track.setAttribute('aria-hidden', 'true');
      var fill = document.createElement('div');
      fill.className = 'fill';
      fill.style.width = pct + '%';
      track.appendChild(fill);
      item.appendChild(label);
      item.appendChild(track);
      list.appendChild(item);
    }
    results.hidden = false;
  }

  function vote(event) {
    event.preventDefault();
    var view = state.view;
    if (!view) { return; }
    var chosen = null;
    var inputs = $('options').getElementsByTagName('input');
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { chosen = Number(inputs[i].value); } }
    if (chosen === null) { warn('Scegli una risposta prima di inviarla.'); return; }
    warn('');
    $('send').disabled = true;
    api('POST', '/api/vote', { epoch: state.epoch, token: device, question: view.id, option: chosen }).then(function (r) {
      $('send').disabled = false;
      if (r.ok) {
        state.mine[view.id] = chosen;
        render(state.view);
        return;
      }
      var kind = r.data.error;
      if (kind === 'not_joined' || kind === 'stale_epoch') { join(state.code); return; }
      warn(r.data.message || 'Il voto non è stato registrato.');
      if (kind === 'not_current' || kind === 'closed') { refresh(); }
    });
  }

  function refresh() {
    return api('GET', '/api/question?code=' + encodeURIComponent(state.code)).then(function (r) {
      if (r.ok) { render(r.data); }
    });
  }

  function poll() {
    if (state.poll) { return; }
    state.poll = window.setInterval(refresh, POLL_MS);
  }

  function listen() {
    if (state.source || state.poll) { return; }
    if (!window.EventSource) { poll(); return; }
    var source = new window.EventSource('/api/events?code=' + encodeURIComponent(state.code));
    state.source = source;
    source.addEventListener('question', function (e) {
      try { render(JSON.parse(e.data)); } catch (err) { /* ignore a broken event */ }
    });
    source.onerror = function () {
      if (source.readyState === 2) { // CLOSED: the server refused the stream.
        state.source = null;
        poll();
      }
    };
  }

  function start() {
    $('join-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var code = $('code').value.replace(/[\s-]/g, '').toUpperCase();
      if (!code) { warn('Scrivi il codice della sessione.'); $('code').focus(); return; }
      join(code);
    });
    $('vote-form').addEventListener('submit', vote);
    $('options').addEventListener('change', function () { warn(''); });
    var code = (window.location.hash || '').replace('#', '');
    if (!code) {
      try { code = window.sessionStorage.getItem('sentinella-code') || ''; } catch (e) { code = ''; }
    }
    window.addEventListener('hashchange', function () {
      var typed = (window.location.hash || '').replace('#', '');
      if (!state.epoch && /^[A-Za-z0-9]{4,12}$/.test(typed)) { join(typed.toUpperCase()); }
    });
    if (/^[A-Za-z0-9]{4,12}$/.test(code)) {
      $('code').value = code.toUpperCase();
      join(code.toUpperCase());
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
