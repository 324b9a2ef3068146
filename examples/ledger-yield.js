// A long ledger recomputation that gives its slot back every 50 entries with
// yieldScript(): other tenants' jobs run in between, and the job continues where it was.
function main(args) {
  var count = Number(args.entries || 200);
  var balance = 0;
  for (var i = 1; i <= count; i++) {
    var entry = records.create("ledger-entry", {n: i, amount: (i % 2 === 0 ? 1 : -1) * i});
    balance += entry.fields.amount;
    if (i % 50 === 0) yieldScript();
  }
  return {entries: count, balance: balance};
}
