// Step 2: runs only when step 1 counted more than one item (the edge's condition).
fn(state => ({
  ...state,
  data: { ...state.data, summary: `${state.data.count} items: ${state.data.items.join(', ')}` },
}));
