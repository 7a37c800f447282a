import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';
import '@vaadin/text-field';
import '@vaadin/grid';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';

/** Lamina's caches on this instance: per-tier counters, the bus, hot keys; evictions reach every instance. */
export class QwcLaminaCaches extends LitElement {

  jsonRpc = new JsonRpc(this);

  static styles = css`
    .bus { padding: 0.5em 1em; }
    .hot { font-family: monospace; font-size: small; }
  `;

  static properties = {
    _caches: { state: true },
    _bus: { state: true },
    _warming: { state: true },
    _message: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this._refresh();
  }

  _refresh() {
    this.jsonRpc.getCaches().then(r => { this._caches = r.result; });
    this.jsonRpc.getBus().then(r => { this._bus = r.result; });
    this.jsonRpc.getWarming().then(r => { this._warming = r.result; });
  }

  render() {
    if (!this._caches || !this._bus) {
      return html`<span>Loading Lamina caches…</span>`;
    }
    return html`
      <div class="bus">
        bus: <b>${this._bus.bus}</b>, L1 ${this._bus.trusted ? 'trusted' : 'DEGRADED (bypassed)'},
        Redis ${this._bus.redis ? 'in use' : 'not configured'}
        <vaadin-button theme="small" @click=${() => this._refresh()}>Refresh</vaadin-button>
        ${this._message ? html`<span> — ${this._message}</span>` : ''}
      </div>
      <vaadin-grid .items="${this._caches}" theme="no-border" all-rows-visible>
        <vaadin-grid-column header="Cache" path="name" auto-width></vaadin-grid-column>
        <vaadin-grid-column header="L1 hits / misses / size" auto-width
            ${columnBodyRenderer(c => html`${c.l1.hits} / ${c.l1.misses} / ${c.l1.size}`, [])}></vaadin-grid-column>
        <vaadin-grid-column header="L2 hits / misses" auto-width
            ${columnBodyRenderer(c => html`${c.l2.hits} / ${c.l2.misses}`, [])}></vaadin-grid-column>
        <vaadin-grid-column header="Loads" path="loads" auto-width></vaadin-grid-column>
        <vaadin-grid-column header="Bus: sent / received / gaps" auto-width
            ${columnBodyRenderer(c => html`${c.invalidationsSent} / ${c.invalidationsReceived} / ${c.gaps}`, [])}>
        </vaadin-grid-column>
        <vaadin-grid-column header="Hot keys" auto-width
            ${columnBodyRenderer(c => html`<span class="hot">${c.hotKeys.map(k => `${k.id} (${k.count})`).join(', ')}</span>`, [])}>
        </vaadin-grid-column>
        <vaadin-grid-column header="Evict (every instance)" auto-width
            ${columnBodyRenderer(c => this._evictRenderer(c), [])}></vaadin-grid-column>
      </vaadin-grid>
      ${this._warmingRenderer()}`;
  }

  _warmingRenderer() {
    const w = this._warming;
    if (!w || (w.warmups.length === 0 && w.refreshers.length === 0)) {
      return '';
    }
    return html`
      <div class="bus">warming${w.readinessHeldBy.length ? html` — readiness held by ${w.readinessHeldBy.join(', ')}` : ''}</div>
      <ul>${w.warmups.map(p => html`<li>${p.summary}</li>`)}
        ${w.refreshers.map(r => html`<li>${r.cache}: refresh ahead, ${r.rounds} rounds, ${r.refreshed} refreshed,
          ${r.failures} failed</li>`)}</ul>`;
  }

  _evictRenderer(cache) {
    return html`
      <vaadin-text-field theme="small" placeholder="id, such as l:42" id="id-${cache.name}"></vaadin-text-field>
      <vaadin-button theme="small" @click=${() => this._evictKey(cache.name)}>Evict id</vaadin-button>
      <vaadin-button theme="small error" @click=${() => this._evictCache(cache.name)}>Evict all</vaadin-button>`;
  }

  _evictKey(name) {
    const field = this.shadowRoot.getElementById(`id-${name}`);
    const id = field ? field.value : '';
    if (!id) {
      this._message = 'type an id first';
      return;
    }
    this.jsonRpc.evictKey({ cache: name, id: id }).then(r => { this._message = r.result; this._refresh(); });
  }

  _evictCache(name) {
    this.jsonRpc.evictCache({ cache: name }).then(r => { this._message = r.result; this._refresh(); });
  }
}
customElements.define('qwc-lamina-caches', QwcLaminaCaches);
