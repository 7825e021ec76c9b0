// Throughline's only script: start GOV.UK Frontend and MoJ Frontend. Every
// page works without it; it is a module served from /assets (the CSP allows
// no inline script), so it runs after the page is parsed.
import { initAll as govukInitAll } from './govuk-frontend.min.js'
import { initAll as mojInitAll } from './moj-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
govukInitAll()
mojInitAll()
