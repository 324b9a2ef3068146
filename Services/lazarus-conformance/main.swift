// lazarus-conformance: the test262 conformance runner of issue 3 (see Command.swift).
ConformanceCommand.main()
