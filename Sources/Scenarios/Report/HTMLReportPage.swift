extension HTMLReport {
    /// The page: styles, the embedded data and the script that draws the timeline. Nothing is
    /// loaded from elsewhere, so the file works offline.
    static let page = #"""
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>@@TITLE@@</title>
    <style>
    body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
    h1 { font-size: 18px; margin: 0 0 6px; }
    .lines div { font-family: ui-monospace, monospace; }
    .finding { border-left: 4px solid #c0392b; background: #fdf0ee; padding: 6px 10px; margin: 8px 0; }
    .finding.pass { border-color: #27ae60; background: #eefaf2; }
    .finding pre { margin: 4px 0 0; white-space: pre-wrap; font-size: 12px; }
    #controls { margin: 10px 0; display: flex; gap: 12px; align-items: center; }
    #frame { display: flex; border: 1px solid #ccc; }
    #names { flex: none; background: #fafafa; border-right: 1px solid #ccc; }
    #scroll { overflow-x: auto; flex: 1; }
    svg text { font: 11px ui-monospace, monospace; }
    #tip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 4px 6px; font: 11px ui-monospace, monospace;
           max-width: 640px; white-space: pre-wrap; display: none; border-radius: 3px; }
    </style></head><body>
    <h1 id="title"></h1><div class="lines" id="lines"></div><div id="findings"></div>
    <div id="controls">
      <label>zoom <select id="zoom"><option>1</option><option>2</option><option>5</option><option>10</option><option>25</option><option>100</option></select></label>
      <label><input type="checkbox" id="showMessages" checked> messages</label>
      <label>type filter <input id="filter" size="16" placeholder="e.g. tablet_request"></label>
      <span id="count"></span>
    </div>
    <div id="frame"><svg id="names"></svg><div id="scroll"><svg id="timeline"></svg></div></div>
    <div id="tip"></div>
    <script type="application/json" id="data">@@DATA@@</script>
    <script>
    const data = JSON.parse(document.getElementById('data').textContent);
    const NS = 'http://www.w3.org/2000/svg', laneHeight = 18, topMargin = 24;
    document.getElementById('title').textContent = data.title;
    for (const line of data.lines) { const d = document.createElement('div'); d.textContent = line; document.getElementById('lines').appendChild(d); }
    const findings = document.getElementById('findings');
    if (data.findings.length === 0) { const d = document.createElement('div'); d.className = 'finding pass'; d.textContent = 'No checker found a violation.'; findings.appendChild(d); }
    for (const f of data.findings) {
      const d = document.createElement('div'); d.className = 'finding';
      const b = document.createElement('b'); b.textContent = 'violation of ' + f.checker + ': '; d.appendChild(b);
      d.appendChild(document.createTextNode(f.message));
      if (f.details.length) { const pre = document.createElement('pre'); pre.textContent = f.details.join('\n'); d.appendChild(pre); }
      findings.appendChild(d);
    }
    const tip = document.getElementById('tip');
    function el(name, attrs, parent, title) {
      const e = document.createElementNS(NS, name);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (title) { e.addEventListener('mousemove', ev => { tip.style.display = 'block'; tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px'; tip.textContent = title; });
                   e.addEventListener('mouseleave', () => { tip.style.display = 'none'; }); }
      parent.appendChild(e); return e;
    }
    function seconds(ns) { return (ns / 1e9).toFixed(ns % 1e9 === 0 ? 0 : 3) + 's'; }
    function draw() {
      const zoom = +document.getElementById('zoom').value, width = Math.max(1000, 1200 * zoom), end = Math.max(1, data.end);
      const x = t => 8 + (width - 16) * t / end, y = lane => topMargin + lane * laneHeight;
      const height = topMargin + data.lanes.length * laneHeight + 8;
      const names = document.getElementById('names'), svg = document.getElementById('timeline');
      names.innerHTML = ''; svg.innerHTML = '';
      names.setAttribute('width', 220); names.setAttribute('height', height);
      svg.setAttribute('width', width); svg.setAttribute('height', height);
      data.lanes.forEach((name, i) => {
        const shade = i % 2 ? '#ffffff' : '#f4f6f8';
        el('rect', {x: 0, y: y(i), width: 220, height: laneHeight, class: 'lane', fill: shade}, names);
        el('text', {x: 6, y: y(i) + 13}, names).textContent = name;
        el('rect', {x: 0, y: y(i), width: width, height: laneHeight, class: 'lane', fill: shade}, svg);
      });
      const step = Math.pow(10, Math.floor(Math.log10(end / 10))) || 1;
      for (let t = 0; t <= end; t += step) {
        el('line', {x1: x(t), x2: x(t), y1: 14, y2: height, stroke: '#e2e2e2'}, svg);
        el('text', {x: x(t) + 2, y: 12, fill: '#666'}, svg).textContent = seconds(t);
      }
      for (const f of data.faults) {
        const w = Math.max(2, x(f.to) - x(f.from));
        el('rect', {x: x(f.from), y: topMargin, width: w, height: height - topMargin, fill: '#f39c12', opacity: 0.12}, svg, seconds(f.from) + '–' + seconds(f.to) + '  ' + f.label);
        el('rect', {x: x(f.from), y: 16, width: w, height: 6, fill: '#e67e22'}, svg, f.label);
      }
      for (const s of data.spans) {
        el('rect', {x: x(s.from), y: y(s.lane) + 3, width: Math.max(2, x(s.to) - x(s.from)), height: laneHeight - 6,
                    fill: s.kind === 'down' ? '#c0392b' : '#7f8c8d', opacity: 0.8}, svg, s.kind + ' ' + seconds(s.from) + '–' + seconds(s.to));
      }
      let shown = 0;
      if (document.getElementById('showMessages').checked) {
        const filter = document.getElementById('filter').value.trim();
        for (const m of data.messages) {
          if (filter && !m.label.startsWith(filter)) continue;
          shown++;
          el('line', {x1: x(m.sent), y1: y(m.from) + laneHeight / 2, x2: x(m.at), y2: y(m.to) + laneHeight / 2, stroke: '#2c7fb8', 'stroke-width': 1, opacity: 0.35},
             svg, seconds(m.sent) + ' → ' + seconds(m.at) + '  ' + data.lanes[m.from] + ' → ' + data.lanes[m.to] + '\n' + m.label);
        }
      }
      for (const m of data.marks) {
        el('circle', {cx: x(m.t), cy: y(m.lane) + laneHeight / 2, r: 4, fill: m.fault ? '#e67e22' : '#27ae60', stroke: '#fff'}, svg,
           seconds(m.t) + '  ' + data.lanes[m.lane] + ': ' + m.label);
      }
      document.getElementById('count').textContent = shown + ' of ' + data.messagesTotal + ' messages drawn, ' + data.marks.length + ' state changes, ' + data.faults.length + ' faults';
    }
    for (const id of ['zoom', 'showMessages', 'filter']) document.getElementById(id).addEventListener('input', draw);
    draw();
    </script></body></html>
    """#
}
