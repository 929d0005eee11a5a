/// The report's style sheet, inlined in the page.
///
/// System fonts only (no web font is loaded), a layout that reflows from phone to desktop, and a
/// print style that starts each section on a new page, keeps charts and table rows whole, and
/// drops background fills that would waste ink. The text holds no `<` or `&`, so it is also
/// well-formed XML character data.
enum ReportStyle {
  /// The CSS text.
  static let css = """
    :root {
      --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --wash: #f6f8fa;
      --real: #0072B2; --synthetic: #E69F00; --good: #1a7f37; --caution: #7d5a00; --risk: #b42318;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body {
      margin: 0; color: var(--ink); background: var(--wash); line-height: 1.45;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
        "Helvetica Neue", Arial, sans-serif;
      font-size: 15px;
    }
    .report-header, nav.toc, main, .report-footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
    .report-header { padding-top: 28px; }
    .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: 12px; }
    h1 { margin: 4px 0 6px; font-size: 30px; line-height: 1.2; overflow-wrap: anywhere; }
    .subtitle { margin: 0 0 16px; color: var(--muted); max-width: 70ch; }
    dl.facts, dl.model-card { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0; }
    dl.facts div, dl.model-card div { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
    dt { font-size: 12px; color: var(--muted); }
    dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    nav.toc { margin-top: 16px; }
    nav.toc ol { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 8px 12px; list-style: decimal inside;
      background: var(--paper); border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
    nav.toc a { color: var(--real); }
    .report-section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; margin: 18px 0; padding: 4px 20px 16px; }
    h2 { font-size: 21px; margin: 14px 0 4px; }
    h2 .number { color: var(--muted); font-weight: 400; }
    .lead { margin: 0 0 12px; color: var(--muted); max-width: 90ch; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
    .card { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 10px 12px; }
    .card.good { border-left-color: var(--good); border-left-style: solid; }
    .card.caution { border-left-color: var(--caution); border-left-style: dashed; }
    .card.risk { border-left-color: var(--risk); border-left-style: double; border-left-width: 8px; }
    .card.not-computed { border-left-color: var(--line); border-left-style: dotted; }
    .card h3 { margin: 0; font-size: 14px; color: var(--muted); font-weight: 600; }
    .card .value { margin: 2px 0; font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
    .card.not-computed .value { font-size: 18px; color: var(--muted); }
    .card .judgement { margin: 0 0 4px; }
    .card .meaning { margin: 0; font-size: 13px; color: var(--muted); }
    .badge { display: inline-block; padding: 0 7px; border: 1.5px solid; border-radius: 10px; font-size: 12px;
      font-weight: 700; line-height: 18px; white-space: nowrap; vertical-align: middle; }
    .badge.good { color: var(--good); border-style: solid; }
    .badge.caution { color: var(--caution); border-style: dashed; }
    .badge.risk { color: var(--risk); border-style: double; border-width: 3px; }
    .badge.not-computed { color: var(--muted); border-style: dotted; }
    .absent { border: 1px dashed var(--line); border-radius: 6px; padding: 2px 12px; margin: 8px 0; }
    .note { font-size: 13px; color: var(--muted); margin: 6px 0 10px; }
    .chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 14px; }
    .chart-card { margin: 0 0 12px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; break-inside: avoid; page-break-inside: avoid; }
    .chart-card figcaption { font-size: 13px; margin-bottom: 4px; overflow-wrap: anywhere; }
    svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
    svg.chart text { font-family: inherit; }
    .table-wrap { overflow-x: auto; margin: 8px 0 12px; }
    table.data { border-collapse: collapse; font-size: 13px; min-width: 60%; }
    table.data caption { text-align: left; font-weight: 600; padding: 4px 0; }
    table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
    table.data thead th { border-bottom: 2px solid var(--ink); white-space: nowrap; }
    table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.data tbody th { font-weight: 600; overflow-wrap: anywhere; }
    table.summary td, table.summary th { padding: 3px 6px; }
    table.narrow { min-width: 40%; }
    .muted { color: var(--muted); }
    .series.real { border-left: 4px solid var(--real); padding-left: 4px; }
    .series.synthetic { border-left: 4px dotted var(--synthetic); padding-left: 4px; }
    code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
    .pmse { font-size: 14px; }
    .report-footer { color: var(--muted); font-size: 13px; padding-bottom: 32px; }
    @media (max-width: 600px) {
      .report-header, nav.toc, main, .report-footer { padding: 0 10px; }
      .report-section { padding: 4px 10px 12px; }
      .chart-grid { grid-template-columns: 1fr; }
    }
    @media print {
      @page { margin: 14mm; }
      @page landscape { size: landscape; margin: 12mm; }
      body { background: none; font-size: 11pt; }
      .report-header, nav.toc, main, .report-footer { max-width: none; padding: 0; }
      nav.toc { display: none; }
      .report-section { border: none; border-radius: 0; margin: 0; padding: 0; break-before: page; page-break-before: always; }
      .report-section:first-of-type { break-before: auto; page-break-before: auto; margin-top: 12px; }
      .report-section.landscape { page: landscape; }
      .cards { grid-template-columns: repeat(3, 1fr); }
      dl.facts div, dl.model-card div, .card, .chart-card, .absent { background: none; box-shadow: none; }
      .chart-card, .card, figure, svg.chart, tr { break-inside: avoid; page-break-inside: avoid; }
      .chart-grid { grid-template-columns: repeat(2, 1fr); }
      .chart-grid > .wide, .chart-card.wide { grid-column: 1 / -1; }
      .table-wrap { overflow: visible; }
      table.data { font-size: 8.5pt; }
      a { color: inherit; text-decoration: none; }
    }

    """
}
