/// The HTML report's Mustache templates: one self-contained page (inline CSS and script, no
/// network), its request sections and failure entries rendered apart (spooled as the run goes)
/// and put in place of the page's marker lines, which no escaped value can forge. Values are
/// HTML-escaped by the template engine.
enum HTMLTemplate {
    static let page = #"""
        {{% CONTENT_TYPE: HTML}}<!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Vigil report: {{title}}</title>
        <style>
        :root { --pass:#1a7f37; --fail:#cf222e; --err:#bc4c00; --skip:#9a6700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; }
        header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--bg); }
        h1 { font-size: 20px; margin: 0 0 6px; } h2 { font-size: 16px; margin: 24px 0 4px; } h3 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
        main { padding: 8px 24px 40px; max-width: 1200px; }
        .counts span { display: inline-block; margin-right: 14px; font-weight: 600; }
        .passed { color: var(--pass); } .failed { color: var(--fail); } .error { color: var(--err); } .skipped { color: var(--skip); } .muted { color: var(--muted); }
        .badge { display: inline-block; min-width: 62px; text-align: center; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
        table.grid { border-collapse: collapse; margin: 8px 0 16px; } table.grid td, table.grid th { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
        table.grid td.cell { text-align: center; } th.gridcoll { padding-top: 10px; }
        .badge.passed { background: var(--pass); } .badge.failed { background: var(--fail); } .badge.error { background: var(--err); } .badge.skipped { background: var(--skip); }
        .interrupted { background: var(--err); color: #fff; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
        .filters { margin-top: 10px; } .filters button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 2px 10px; margin-right: 4px; cursor: pointer; }
        .filters button.on { background: #1f2328; color: #fff; border-color: #1f2328; }
        details.req { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
        details.req > summary { padding: 6px 10px; cursor: pointer; list-style: none; display: flex; gap: 10px; align-items: baseline; }
        details.req > summary::-webkit-details-marker { display: none; }
        details.req[open] > summary { border-bottom: 1px solid var(--line); background: var(--bg); }
        .name { font-weight: 600; } .line { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
        .body { padding: 4px 12px 12px; }
        .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } @media (max-width: 800px) { .cols { grid-template-columns: 1fr; } }
        pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 4px 0; overflow: auto; max-height: 480px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; } td, th { text-align: left; padding: 2px 8px 2px 0; vertical-align: top; }
        td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
        .message { color: var(--fail); font-weight: 600; margin: 6px 0; }
        .failure-list li { margin: 3px 0; }
        body.only-passed .req:not(.o-passed), body.only-failed .req:not(.o-failed):not(.o-error), body.only-skipped .req:not(.o-skipped) { display: none; }
        </style>
        </head>
        <body>
        <header>
          <h1>Vigil report: {{title}} {{#interrupted}}<span class="interrupted">interrupted</span>{{/interrupted}}</h1>
          <div class="counts"><span class="passed">{{passed}} passed</span><span class="failed">{{failed}} failed</span><span class="error">{{errorsText}}</span><span class="skipped">{{skipped}} skipped</span><span class="muted">{{suiteCountText}} · {{duration}} · Vigil {{version}}</span></div>
          <div class="filters" id="filters">Show: <button data-f="all" class="on">All</button><button data-f="failed">Failed</button><button data-f="skipped">Skipped</button><button data-f="passed">Passed</button></div>
        </header>
        <main>
        {{#hasFailures}}
        <h2 class="failed">Failures</h2>
        <ul class="failure-list">
        <vigil-failures/>
        </ul>
        {{/hasFailures}}
        {{#hasGrid}}
        <h2>Matrix</h2>
        <table class="grid">
        <tr><th></th>{{#gridEnvironments}}<th>{{.}}</th>{{/gridEnvironments}}</tr>
        <vigil-grid/>
        </table>
        {{/hasGrid}}
        {{#hasCoverage}}
        <h2>OpenAPI coverage</h2>
        {{#coverage}}
        <p><strong>{{summary}}</strong> <span class="muted mono">{{source}}</span></p>
        <table class="grid">
        <tr><th>Tag</th><th>Exercised</th><th>Operations exercised</th><th>Not exercised</th></tr>
        {{#tags}}<tr><td>{{name}}</td><td>{{count}}</td><td class="mono">{{exercised}}</td><td class="mono muted">{{missed}}</td></tr>{{/tags}}
        </table>
        {{#hasViolations}}<p>Responses that broke the contract:</p><ul>{{#violations}}<li class="mono">{{.}}</li>{{/violations}}</ul>{{/hasViolations}}
        {{#hasUnmatched}}<p>Requests that matched no operation:</p><ul>{{#unmatched}}<li class="mono">{{.}}</li>{{/unmatched}}</ul>{{/hasUnmatched}}
        {{/coverage}}
        {{/hasCoverage}}
        <vigil-suites/>
        </main>
        <script>
        (function () {
          var bar = document.getElementById('filters');
          bar.addEventListener('click', function (e) {
            var f = e.target.getAttribute('data-f'); if (!f) return;
            document.body.className = f === 'all' ? '' : 'only-' + f;
            Array.prototype.forEach.call(bar.querySelectorAll('button'), function (b) { b.classList.toggle('on', b === e.target); });
          });
        })();
        </script>
        </body>
        </html>

        """#

    /// One collection run's heading, its requests' sections in place of its
    /// `<vigil-requests/>` line; the page's `<vigil-suites/>` line stands for every collection
    /// run in order. The report writes it by hand (``HTMLRequestSection/heading(_:)``); this
    /// template is the reference a test compares it with.
    static let suite = #"""
        {{% CONTENT_TYPE: HTML}}<h2>{{collection}} <span class="muted">· {{environment}}</span> {{#interrupted}}<span class="interrupted">interrupted</span>{{/interrupted}}</h2>
        <div class="muted mono">{{file}} · {{passed}} passed, {{failed}} failed, {{skipped}} skipped · {{duration}}</div>
        {{#description}}<p>{{description}}</p>{{/description}}
        <vigil-requests/>

        """#

    /// One request's section, spooled as it finishes; the page's `<vigil-requests/>` line stands
    /// for a suite's sections in order.
    static let request = #"""
        {{% CONTENT_TYPE: HTML}}<details class="req o-{{outcome}}" id="{{anchor}}"{{#open}} open{{/open}}>
          <summary><span class="badge {{outcome}}">{{outcome}}</span><span class="name">{{name}}</span><span class="line">{{method}} {{url}}{{#status}} → {{status}}{{/status}} · {{duration}}{{#polled}} · {{attempts}} attempts{{/polled}}</span></summary>
          <div class="body">
            {{#requestDescription}}<p>{{requestDescription}}</p>{{/requestDescription}}
            {{#skipReason}}<p class="skipped">Skipped: {{skipReason}}</p>{{/skipReason}}
            {{#message}}<p class="message">{{message}}</p>{{/message}}
            {{#hasAssertions}}<h3>Assertions</h3><table>
            {{#assertions}}<tr><td class="{{state}}">{{symbol}}</td><td class="mono">{{subject}}</td><td>{{expectation}}</td><td class="mono failed">{{#actual}}got {{actual}}{{/actual}}</td></tr>
            {{/assertions}}</table>{{/hasAssertions}}
            {{#hasNotes}}<ul>{{#notes}}<li class="muted">{{.}}</li>{{/notes}}</ul>{{/hasNotes}}
            {{#hasCaptures}}<h3>Captured</h3><table>{{#captures}}<tr><td class="mono">{{name}}</td><td class="mono">{{value}}</td></tr>{{/captures}}</table>{{/hasCaptures}}
            {{#hasRedirects}}<h3>Redirects</h3><ul class="mono">{{#redirects}}<li>↪ {{.}}</li>{{/redirects}}</ul>{{/hasRedirects}}
            {{#hasPolls}}<h3>Attempts</h3><table>{{#polls}}<tr><td>#{{number}}</td><td class="mono">{{status}}</td><td class="muted">after {{elapsed}}</td></tr>{{/polls}}</table>{{/hasPolls}}
            <div class="cols">
            {{#request}}<div><h3>Request</h3><pre>{{method}} {{url}}
        {{#headers}}{{name}}: {{value}}
        {{/headers}}</pre>{{#body}}{{>body}}{{/body}}</div>{{/request}}
            {{#response}}<div><h3>Response · {{status}} · {{time}}</h3><pre>{{#headers}}{{name}}: {{value}}
        {{/headers}}</pre>{{#body}}{{>body}}{{/body}}</div>{{/response}}
            </div>
          </div>
        </details>

        """#

    /// One row of the matrix; the page's `<vigil-grid/>` line stands for them.
    static let gridRow = #"""
        {{% CONTENT_TYPE: HTML}}{{#collection}}<tr><th class="gridcoll" colspan="{{gridSpan}}">{{collection}}</th></tr>{{/collection}}
        <tr><td>{{name}}</td>{{#cells}}<td class="cell">{{#anchor}}<a href="#{{anchor}}" title="{{outcome}}"><span class="badge {{outcome}}">{{symbol}}</span></a>{{/anchor}}</td>{{/cells}}</tr>

        """#

    /// One entry of the failure list, spooled; the page's `<vigil-failures/>` line stands for them.
    static let failure = #"""
        {{% CONTENT_TYPE: HTML}}<li><a href="#{{anchor}}"><span class="badge {{outcome}}">{{outcome}}</span> {{collection}} · {{environment}}: <b>{{name}}</b></a> <span class="mono">{{firstProblem}}</span></li>

        """#

    /// A body: shown at once when short, folded when long.
    static let body = #"""
        {{% CONTENT_TYPE: HTML}}{{#folded}}<details><summary class="muted">Body: {{lines}} lines (click to show)</summary><pre>{{text}}</pre></details>{{/folded}}{{^folded}}<pre>{{text}}</pre>{{/folded}}
        """#
}
