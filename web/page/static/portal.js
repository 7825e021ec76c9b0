// The victim portal's only script: start GOV.UK Frontend, so that "Exit
// this page" answers its keyboard shortcut (Shift three times). Every page
// works without it; it is a module served from /assets (the CSP allows no
// inline script), so it runs after the page is parsed.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()
