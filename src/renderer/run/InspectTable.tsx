// One titled table of the Inspect tab (monospace cells), with an optional note under it
// (e.g. how many rows the engine left out of a capped list).

export function Table({ title, head, rows, note, numeric }: { title: string; head: string[]; rows: string[][]; note?: string; /** Column indexes right-aligned (counters). */ numeric?: number[] }) {
  return (
    <section className="run-table">
      <h4>{title}</h4>
      <table>
        <thead>
          <tr>{head.map((h) => <th key={h}>{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={head.length} className="run-muted">(empty)</td></tr>
          ) : (
            rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} className={numeric?.includes(j) ? 'num' : undefined}>{c}</td>)}</tr>)
          )}
        </tbody>
      </table>
      {note ? <div className="run-muted run-table-note">{note}</div> : null}
    </section>
  );
}
