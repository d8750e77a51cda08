// A stateful "client": module state that must not leak from one run into the next.
let calls = 0;

export const fortyTwo = () => state => ({ ...state, data: 42 });

export const countCalls = () => state => ({ ...state, calls: ++calls });

export const logFromAdaptor = message => state => {
  console.log(message);
  return state;
};
