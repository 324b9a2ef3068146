// Moves money between two accounts with optimistic locking and an explicit checkpoint
// between the two writes: if the job is interrupted, the script learns it was
// ("resumed") and the second write still happens exactly once.
function main(args) {
  var from = records.create("account", {owner: "A", balance: 500});
  var to = records.create("account", {owner: "B", balance: 100});
  var amount = Number(args.amount || 75);

  from = records.update("account", from.id, {balance: from.fields.balance - amount}, from.version);
  var point = checkpoint("debited");
  if (point.status === "resumed") console.log("resumed between the two writes; finishing the transfer");
  to = records.update("account", to.id, {balance: to.fields.balance + amount}, to.version);

  return {from: from.fields.balance, to: to.fields.balance};
}
