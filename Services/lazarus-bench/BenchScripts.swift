/// The scripts the services' benchmarks submit. Each does one business-object write per
/// host call, so "calls" and "writes" are the same count.
enum BenchScripts {
    /// `args.writes` creates, bracketed by two `now()` calls (journaled object-service clock,
    /// milliseconds): the script's own measure of its mean round trip.
    static let timedWriter = """
        function main(args) {
          var n = Number(args.writes);
          var start = now();
          for (var i = 0; i < n; i++) {
            records.create("bench", {job: args.tag, n: i});
          }
          var end = now();
          return {writes: n, elapsedMs: end - start};
        }
        """

    /// `args.writes` creates and nothing else (the throughput workload; the recovery job
    /// is given more writes than it will live to make).
    static let writer = """
        function main(args) {
          var n = Number(args.writes);
          for (var i = 0; i < n; i++) {
            records.create("bench", {job: args.tag, n: i});
          }
          return {writes: n};
        }
        """
}
