package dev.cookies.example;

import java.util.Optional;

/**
 * The app's page at {@code GET /}: the counter, who is logged in, and a control for each action, all
 * calling the JSON routes with {@code fetch}. The same page on every adapter.
 */
final class Page {

    private Page() {
    }

    /**
     * Renders the page.
     *
     * @param count the counter of the {@code session} session
     * @param user the user of the {@code auth} session, if someone is logged in
     * @return the HTML
     */
    static String render(int count, Optional<Object> user) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html>\n")
                .append("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cookies</title></head><body>\n")
                .append("<h1>Cookies</h1>\n")
                .append("<p>Count: <span id=\"count\">").append(count).append("</span></p>\n")
                .append("<button id=\"increment\" type=\"button\">Increment</button>\n");
        if (user.isPresent()) {
            html.append("<p id=\"login-state\">Logged in as <span id=\"user-name\">")
                    .append(escape(String.valueOf(user.get()))).append("</span></p>\n")
                    .append("<button id=\"logout\" type=\"button\">Log out</button>\n");
        } else {
            html.append("<p id=\"login-state\">Not logged in</p>\n")
                    .append("<form id=\"login-form\"><input id=\"user\" name=\"user\" placeholder=\"name\" required>")
                    .append("<button id=\"login\" type=\"submit\">Log in</button></form>\n");
        }
        // Every call is a same-origin fetch with a JSON body: what the cross-site guard and the
        // login's Content-Type check let through.
        html.append("<p id=\"error\" role=\"alert\"></p>\n")
                .append("<script>\n")
                .append("async function post(path, body) {\n")
                .append("  const r = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},\n")
                .append("      body: JSON.stringify(body === undefined ? {} : body)});\n")
                .append("  const json = await r.json();\n")
                .append("  document.getElementById('error').textContent = r.ok ? '' : json.error;\n")
                .append("  return r.ok ? json : null;\n")
                .append("}\n")
                .append("document.getElementById('increment').onclick = async () => {\n")
                .append("  const r = await post('/counter/increment');\n")
                .append("  if (r) document.getElementById('count').textContent = r.count;\n")
                .append("};\n")
                .append("const form = document.getElementById('login-form');\n")
                .append("if (form) form.onsubmit = async (e) => {\n")
                .append("  e.preventDefault();\n")
                .append("  if (await post('/login', {user: document.getElementById('user').value})) location.reload();\n")
                .append("};\n")
                .append("const logout = document.getElementById('logout');\n")
                .append("if (logout) logout.onclick = async () => { if (await post('/logout')) location.reload(); };\n")
                .append("</script>\n")
                .append("</body></html>\n");
        return html.toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
