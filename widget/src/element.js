// The <jobslot-booking> element: its life on the host page. The flow inside is Rust's; what
// the page sees of the element (mounting, removal, the button mode's dialog, events) is here,
// a few lines of JS instead of kilobytes of wasm.

// `mount(host, container)` renders the flow into `container` and returns a function that
// tears it down; `style(root)` gives a shadow root the widget's stylesheet; `labels(host)` is
// the button mode's [open, close] words in the element's language.
export function defineCustomElement(name, mount, style, labels) {
  if (customElements.get(name)) return;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() {
      // Moved within the page: the running flow stays.
      if (this.jobslotUnmount) return;
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      root.replaceChildren();
      style(root);
      if (this.getAttribute("mode") === "button") {
        this.jobslotButton(root, labels(this));
      } else {
        const container = document.createElement("div");
        container.className = "jobslot";
        root.append(container);
        this.jobslotUnmount = mount(this, container);
      }
    }

    disconnectedCallback() {
      // A move disconnects and reconnects at once; only an element still out of the page
      // after this task is gone for good, and its flow is disposed of.
      queueMicrotask(() => {
        if (this.isConnected || !this.jobslotUnmount) return;
        this.jobslotUnmount();
        this.jobslotUnmount = null;
        this.shadowRoot.replaceChildren();
      });
    }

    // A "Book now" button; the flow opens in a modal dialog (focus kept inside, Escape
    // closes, focus back on the button after) and is rendered on the first opening.
    jobslotButton(root, [openLabel, closeLabel]) {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "primary open";
      open.textContent = this.getAttribute("label") || openLabel;
      open.setAttribute("aria-haspopup", "dialog");
      const dialog = document.createElement("dialog");
      dialog.setAttribute("aria-label", open.textContent);
      const close = document.createElement("button");
      close.type = "button";
      close.className = "close";
      close.setAttribute("aria-label", this.getAttribute("close-label") || closeLabel);
      close.textContent = "\u00d7";
      const container = document.createElement("div");
      container.className = "jobslot";
      dialog.append(close, container);
      close.addEventListener("click", () => dialog.close());
      dialog.addEventListener("close", () => open.focus());
      open.addEventListener("click", () => {
        if (!this.jobslotUnmount) this.jobslotUnmount = mount(this, container);
        dialog.showModal();
      });
      root.append(open, dialog);
    }
  });
}

export function emit(host, type, detail) {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
