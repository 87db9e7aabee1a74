// Sends this session's CSRF token (from the layout's meta tag) with every htmx request.
// A file, not an inline script, because the content security policy forbids inline scripts.
document.addEventListener('htmx:configRequest', function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers['X-CSRF-Token'] = meta.getAttribute('content');
  }
});
