/** `/`: a short page for people who open Alur in a browser before the web UI exists. */
export function homePage(version: string): string {
  return `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Alur</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b2733}code{background:#eef2f5;padding:0 .25rem}</style></head>
<body>
<h1>Alur ${version}</h1>
<p>Alur menjalankan Standar Operasional Prosedur (Permenpan RB 35/2012) sebagai kasus yang tercatat dan dapat diaudit.
<span lang="en">(Alur runs government SOPs as durable, auditable cases.)</span></p>
<ul>
<li>API: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a> (OpenAPI 3.1)</li>
<li>Masuk / log in: <code>POST /api/v1/auth/login</code> dengan <code>{"username", "password"}</code></li>
<li>Kesehatan / health: <a href="/healthz"><code>/healthz</code></a>, <a href="/readyz"><code>/readyz</code></a></li>
</ul>
</body>
</html>
`;
}
