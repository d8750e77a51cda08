// Maps facility codes in the input records to names and regions with an embedded lookup table,
// the everyday shape of a mapping step (bigger ones: ./generate.sh).
//   ./kiln run examples/mapping/mapping.js -a common -s examples/mapping/state.json
const facilities = {
  F001: { name: 'Central Hospital', region: 'North' },
  F002: { name: 'Riverside Clinic', region: 'North' },
  F003: { name: 'Hillside Health Post', region: 'East' },
  F004: { name: 'Lakeview Dispensary', region: 'East' },
  F005: { name: 'Market Street Clinic', region: 'South' },
  F006: { name: 'Harbour Health Centre', region: 'South' },
  F007: { name: 'Valley District Hospital', region: 'West' },
  F008: { name: 'Mountain Road Clinic', region: 'West' },
};

fn(state => {
  const mapped = state.data.records.map(record => ({
    ...record,
    ...(facilities[record.facility] ?? { name: 'Unknown facility', region: 'Unknown' }),
  }));
  return { ...state, data: { mapped } };
});
