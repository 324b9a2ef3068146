// Month-end invoice run: bills every customer, 300 invoices in batches of 10, with a
// checkpoint after each batch. Kill any Lazarus process while it runs: it resumes from
// its last snapshot, and the call journal makes sure no invoice is created twice.
//
//   lazarus run examples/invoice-run.js                      (locally, in memory)
//   lazarus submit examples/invoice-run.js --tenant demo --wait

function ensureCustomers(count) {
  var existing = records.query("customer", {segment: "demo"}, 1000);
  for (var i = existing.length; i < count; i++) {
    existing.push(records.create("customer", {name: "Customer " + (i + 1), segment: "demo", balance: 0}));
  }
  return existing;
}

function main(args) {
  var total = Number(args.invoices || 300);
  var batchSize = 10;
  var customers = ensureCustomers(30);
  var created = 0;
  // Resumptions the script itself notices: a run restored from a checkpoint() snapshot
  // gets status "resumed" there. One restored from a policy snapshot (afterWrite: taken
  // at a write) resumes inside that write and carries on without knowing.
  var resumedAtCheckpoint = 0;

  for (var batch = 0; created < total; batch++) {
    for (var i = 0; i < batchSize && created < total; i++) {
      var customer = customers[created % customers.length];
      records.create("invoice", {
        customer: customer.id,
        amount: 100 + (created % 7) * 25,
        batch: batch,
        number: "INV-" + String(created + 1).padStart(5, "0")
      });
      created++;
    }
    var saved = checkpoint("batch-" + batch);
    if (saved.status === "resumed") {
      resumedAtCheckpoint++;
      console.log("resumed after an interruption at " + saved.label);
    }
  }
  console.log("created " + created + " invoices for " + customers.length + " customers");
  return {invoices: created, customers: customers.length, resumedAtCheckpoint: resumedAtCheckpoint};
}
