// The '@openfn/runtime' module as job code sees it (spec §3.10): the compiler's promises transform
// imports `defer` from here.

/** defer(fn, complete, error) → an operation that runs fn lazily; sync throws go to error(e, state). */
function defer(fn, complete = (p) => p, error = (e) => { throw e; }) {
  return (state) => {
    let promise;
    try {
      promise = Promise.resolve(fn(state));
    } catch (e) {
      promise = Promise.reject(e);
    }
    return complete(promise.catch((e) => error(e, state)));
  };
}

module.exports = { defer };
