export function SopEditorPage(_props: Record<string, unknown>) {
  return <p>…</p>;
}
