// Fetches a JSON document from a local server with language-http and keeps a summary.
// Start the server first (see examples/README.md):
//   python3 -m http.server 8000 --bind 127.0.0.1 --directory examples/http/public
get('http://127.0.0.1:8000/patients.json');

fn(state => {
  const patients = state.data.patients;
  console.log(`fetched ${patients.length} patients`);
  return { ...state, data: { count: patients.length, names: patients.map(p => p.name) } };
});
