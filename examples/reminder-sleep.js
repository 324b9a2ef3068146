// A payment reminder: waits a (durable) while between reminders. sleep(ms) survives a
// restart of every Lazarus process: the checkpoint service keeps the timer.
function main(args) {
  var invoice = records.create("invoice", {customer: "c-1", amount: 250, status: "open"});
  for (var reminder = 1; reminder <= 3; reminder++) {
    sleep(Number(args.intervalMs || 1000));
    invoice = records.update("invoice", invoice.id, {reminders: reminder}, invoice.version);
    console.log("reminder " + reminder + " sent for " + invoice.id);
  }
  return {invoice: invoice.id, reminders: invoice.fields.reminders};
}
