// Step 1: count the items of the input (or of a default list) and say hello.
fn(state => {
  const items = state.data.items ?? ['apple', 'banana', 'cherry'];
  console.log(`Hello from Kiln: ${items.length} items`);
  return { ...state, data: { items, count: items.length } };
});
