// Counts the invoices of this tenant: how the demo proves none was lost or doubled.
function main(args) {
  var invoices = records.query("invoice", {}, 1000);
  var numbers = {};
  var duplicates = 0;
  invoices.forEach(function (invoice) {
    if (numbers[invoice.fields.number]) duplicates++;
    numbers[invoice.fields.number] = true;
  });
  return {invoices: invoices.length, duplicates: duplicates};
}
