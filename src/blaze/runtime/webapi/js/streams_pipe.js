// streams_pipe.js: ReadableStreamPipeTo (used by pipeTo and pipeThrough).
//
// Reads a chunk only when the destination's writer is ready (backpressure), and propagates
// errors, closing and cancellation per the Streams Standard: a source error aborts the
// destination (unless preventAbort), a destination error cancels the source (unless
// preventCancel), a source close closes the destination (unless preventClose). Before the
// final action, every chunk already read is written.
//
// `signal` is honoured only when an AbortSignal implementation is loaded (abort.js, written
// separately): it is recognised through lib.isAbortSignal if present, otherwise through
// `instanceof globalThis.AbortSignal` at call time; without either, it is ignored.
(function () {
  'use strict';
  const lib = globalThis.__blazeHost.lib;
  const S = lib.streams;

  function isAbortSignal(signal) {
    if (typeof lib.isAbortSignal === 'function') return lib.isAbortSignal(signal);
    const AbortSignal = globalThis.AbortSignal;
    return typeof AbortSignal === 'function' && signal instanceof AbortSignal;
  }

  S.pipeOptions = function pipeOptions(options) {
    const o = options === undefined || options === null ? {} : options;
    const signal = o.signal;
    const abortAvailable = typeof lib.isAbortSignal === 'function' ||
      typeof globalThis.AbortSignal === 'function';
    if (signal !== undefined && abortAvailable && !isAbortSignal(signal)) {
      throw new TypeError('Failed to execute \'pipeTo\': member signal is not of type ' +
        'AbortSignal.');
    }
    return {
      preventClose: Boolean(o.preventClose),
      preventAbort: Boolean(o.preventAbort),
      preventCancel: Boolean(o.preventCancel),
      signal: abortAvailable ? signal : undefined,
    };
  };

  function abortReason(signal) {
    if (signal.reason !== undefined) return signal.reason;
    return new lib.DOMException('The operation was aborted.', 'AbortError');
  }

  S.pipeTo = function pipeTo(source, dest, { preventClose, preventAbort, preventCancel,
    signal }) {
    const reader = S.acquireDefaultReader(source);
    const writer = S.acquireWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = S.resolved(undefined);
    const done = S.deferred();
    let abortListener;

    function finalize(isError, error) {
      S.writerRelease(writer);
      S.defaultReaderRelease(reader);
      if (abortListener !== undefined) signal.removeEventListener('abort', abortListener);
      if (isError) done.reject(error);
      else done.resolve(undefined);
    }

    // Waits until the last write started has settled, including writes started meanwhile.
    function waitForWrites() {
      const last = currentWrite;
      return last.then(() => (last !== currentWrite ? waitForWrites() : undefined));
    }

    function shutdownWithAction(action, isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      const run = () => S.react(action(), () => finalize(isError, error),
        (e) => finalize(true, e));
      if (dest.state === 'writable' && !S.writableCloseQueuedOrInFlight(dest)) {
        S.react(waitForWrites(), run);
      } else {
        run();
      }
    }

    function shutdown(isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      if (dest.state === 'writable' && !S.writableCloseQueuedOrInFlight(dest)) {
        S.react(waitForWrites(), () => finalize(isError, error));
      } else {
        finalize(isError, error);
      }
    }

    if (signal !== undefined) {
      const abortAlgorithm = () => {
        const error = abortReason(signal);
        const actions = [];
        if (!preventAbort) {
          actions.push(() => (dest.state === 'writable' ? S.abortWritable(dest, error)
            : S.resolved(undefined)));
        }
        if (!preventCancel) {
          actions.push(() => (source.state === 'readable' ? S.cancelReadable(source, error)
            : S.resolved(undefined)));
        }
        shutdownWithAction(() => Promise.all(actions.map((a) => a())), true, error);
      };
      if (signal.aborted) {
        abortAlgorithm();
        return done.promise;
      }
      abortListener = abortAlgorithm;
      signal.addEventListener('abort', abortListener);
    }

    // Error and close propagation, checked now and again whenever a state changes.
    function onSourceErrored(e) {
      if (!preventAbort) shutdownWithAction(() => S.abortWritable(dest, e), true, e);
      else shutdown(true, e);
    }
    function onDestErrored(e) {
      if (!preventCancel) shutdownWithAction(() => S.cancelReadable(source, e), true, e);
      else shutdown(true, e);
    }
    function onSourceClosed() {
      if (!preventClose) {
        shutdownWithAction(() => S.writerCloseWithErrorPropagation(writer), false);
      } else {
        shutdown(false);
      }
    }
    function onDestClosed() {
      const e = new TypeError('The destination writable stream closed before all the data ' +
        'could be piped to it.');
      if (!preventCancel) shutdownWithAction(() => S.cancelReadable(source, e), true, e);
      else shutdown(true, e);
    }

    if (source.state === 'errored') onSourceErrored(source.storedError);
    else S.react(reader.closed.promise, () => {}, onSourceErrored);
    if (dest.state === 'errored') onDestErrored(dest.storedError);
    else S.react(writer.closed.promise, () => {}, onDestErrored);
    if (source.state === 'closed') onSourceClosed();
    else S.react(reader.closed.promise, onSourceClosed, () => {});
    if (S.writableCloseQueuedOrInFlight(dest) || dest.state === 'closed') onDestClosed();

    function step() {
      if (shuttingDown) return;
      S.react(writer.ready.promise, () => {
        if (shuttingDown) return;
        S.defaultReaderRead(reader, {
          chunkSteps(chunk) {
            currentWrite = S.writerWrite(writer, chunk).then(undefined, () => {});
            queueMicrotask(step);
          },
          closeSteps() {},
          errorSteps() {},
        });
      }, () => {});
    }
    step();
    return done.promise;
  };
})();
