export function SopsPage() {
  return <p>…</p>;
}
