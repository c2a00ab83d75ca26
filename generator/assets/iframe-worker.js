/* Only in the offline build (make offline), and only on file:// pages: a Web Worker cannot start
   from a file:// page, and Material's search runs in one. This runs the worker's script in a hidden
   iframe of the page instead, with its postMessage and "message" events wired to the page as a
   Worker's would be. It stands in for the iframe-worker shim that Material's offline plugin would
   load from unpkg.com: nothing is fetched from another host. Loaded before Material's bundle. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function IFrameWorker(url) {
    var self = this, events = new EventTarget(), queue = [], ready = false;
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = events.addEventListener.bind(events);
    this.removeEventListener = events.removeEventListener.bind(events);
    this.dispatchEvent = events.dispatchEvent.bind(events);

    function emit(event, handler) {
      if (typeof handler === "function") handler.call(self, event);
      events.dispatchEvent(event);
    }
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    frame.title = "Search";
    (document.body || document.documentElement).appendChild(frame);
    var inner = frame.contentWindow;
    /* What the worker's script posts arrives here as a message of this object. */
    inner.postMessage = function (data) {
      setTimeout(function () { emit(new MessageEvent("message", { data: data }), self.onmessage); }, 0);
    };
    function send(data) { inner.dispatchEvent(new inner.MessageEvent("message", { data: data })); }
    var script = inner.document.createElement("script");
    script.src = new URL(String(url), location.href).href;
    script.onload = function () { ready = true; queue.splice(0).forEach(send); };
    script.onerror = function () { emit(new Event("error"), self.onerror); };
    inner.document.documentElement.appendChild(script);

    this.postMessage = function (data) {
      if (ready) setTimeout(function () { send(data); }, 0);
      else queue.push(data);
    };
    this.terminate = function () { frame.remove(); };
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
