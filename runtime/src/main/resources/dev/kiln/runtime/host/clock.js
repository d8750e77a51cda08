// Nanoseconds since the epoch as a decimal string, like @openfn/logger's timestamp(): the epoch
// milliseconds at load time plus a monotonic high-resolution delta.
const originNs = BigInt(Date.now()) * 1000000n;
const originHr = process.hrtime.bigint();

function timestamp() {
  return (originNs + (process.hrtime.bigint() - originHr)).toString();
}

module.exports = { timestamp };
