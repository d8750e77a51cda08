// Loggers as the reference's @openfn/logger in JSON mode (spec §5): one record per call,
// {level, name, message: [args...], time}, sanitized, then handed to the bridge as a `log` frame.
const { safeStringify } = require('./serialize.js');
const { timestamp } = require('./clock.js');

const PRIORITY = {
  debug: 0, info: 1, log: 1, default: 2, always: 2, warn: 2, success: 2, none: 9, error: 100, 'none-really': 1000,
};
const LEVELS = ['debug', 'info', 'default', 'none', 'none-really'];
const SANITIZE_POLICIES = ['none', 'remove', 'obfuscate', 'summarize'];

function isPlainValue(value) {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function sanitize(value, policy) {
  if (value instanceof Error || (value && typeof value === 'object' && typeof value.stack === 'string' && 'message' in value)) {
    return { name: value.name, message: value.message };
  }
  if (isPlainValue(value) || typeof value === 'function') return value;
  const isArray = Array.isArray(value);
  switch (policy) {
    case 'remove':
      return null;
    case 'obfuscate':
      return isArray ? '[array]' : '[object]';
    case 'summarize':
      if (isArray) return value.length ? `(array with ${value.length} items)` : '(empty array)';
      {
        const keys = Object.keys(value).sort();
        return keys.length ? `(object with keys ${keys.join(', ')})` : '(empty object)';
      }
    default:
      if (!isArray && value.configuration && typeof value.configuration === 'object') {
        const configuration = {};
        for (const key of Object.keys(value.configuration)) configuration[key] = '****';
        return { ...value, configuration };
      }
      return value;
  }
}

function createLogger(name, { level = 'debug', sanitize: policy = 'none', emit }) {
  if (!LEVELS.includes(level)) throw new Error(`Unknown log level: ${level}`);
  if (!SANITIZE_POLICIES.includes(policy)) throw new Error(`Unknown sanitize value provided: ${policy}`);
  const threshold = PRIORITY[level];
  const write = (fn, args) => {
    if (PRIORITY[fn] < threshold || args.length === 0) return;
    const message = args.map((a) => sanitize(a, policy));
    if (message.length === 1 && message[0] === null) return;
    const recordLevel = fn === 'log' ? 'info' : fn;
    emit(recordLevel, name, safeStringify(message).text, timestamp());
  };
  const logger = {};
  for (const fn of ['debug', 'info', 'log', 'warn', 'error', 'success', 'always']) {
    logger[fn] = (...args) => write(fn, args);
  }
  logger.print = (...args) => write('info', args);
  logger.break = () => {};
  logger.confirm = async () => true;
  logger.timer = () => {
    const start = Date.now();
    return () => humanDuration(Date.now() - start);
  };
  logger.proxy = (record) => write(record.level ?? 'info', [].concat(record.message ?? []));
  return logger;
}

/** Durations as the reference logger prints them: Nms, N.NNs, or Xm Ys. */
function humanDuration(ms) {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)}s`;
  const minutes = Math.floor(ms / 60000);
  const seconds = Math.round((ms % 60000) / 1000);
  return `${minutes}m ${seconds}s`;
}

module.exports = { createLogger, sanitize, humanDuration };
