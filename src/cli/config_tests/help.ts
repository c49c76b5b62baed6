/** The help text of `sluice test`, apart so the CLI can print it without loading the runner. */

/** The test file format, for `sluice test --help`. */
export const TEST_FILE_HELP = `
A test file lists cases: records fed in as if from an input (its tag, routes and processors
apply), and the records expected after the filters, per tag (every tag that comes out must
be listed), and optionally at an output after its processors. A record is its body, or
[time, body] when the time matters.

  tests:
    - name: debug lines are dropped
      input: tail.0            # default: the first input
      tag: app.web             # default: that input's tag
      records:
        - {level: debug, msg: starting}
        - {level: error, msg: failed}
      expect:
        app.web:
          - {level: error, msg: failed}
      outputs:                 # optional
        stdout.0:
          - {level: error, msg: failed}

Exit status: 0 every case passed, 1 a case failed (a diff is printed), 2 the config or a test
file cannot be used.`;
