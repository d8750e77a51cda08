// JSON text of a state or log message. Like the reference's fast-safe-stringify: a reference to an
// ancestor becomes '[Circular]', functions and undefined are dropped, Promises become {} and Dates
// ISO strings. Unlike it, a BigInt does not throw: it is written as a decimal string and reported.
function safeStringify(value) {
  const ancestors = [];
  let bigints = 0;
  const text = JSON.stringify(value, function replacer(key, current) {
    if (typeof current === 'bigint') {
      bigints += 1;
      return current.toString();
    }
    if (typeof current === 'object' && current !== null) {
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(current)) return '[Circular]';
      ancestors.push(current);
    }
    return current;
  });
  return { text, bigints };
}

module.exports = { safeStringify };
