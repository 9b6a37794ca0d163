-- wrk script: every request is a successful login as the demo's admin@acme.demo.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"admin@acme.demo","password":"demo-pass-2026"}'
