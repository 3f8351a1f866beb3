// Marks the page as JavaScript-enabled before it paints (kept out of the HTML for the CSP).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
