// Effektkedjor: the only script of our own. It keeps keyboard focus where the user is
// working when htmx swaps content in place: the server marks the element to focus with
// data-fokus (a form's first field, the confirm button, the row's "Ändra" link after
// saving). A file, not inline script, so a strict Content Security Policy allows it.
document.addEventListener("htmx:afterSettle", function () {
  var wanted = document.querySelector("[data-fokus]");
  if (wanted) {
    wanted.removeAttribute("data-fokus");
    // Someone quick (or a tool) may already be typing in the new form: settling comes a
    // moment after the swap, and taking focus then would send their keys elsewhere.
    var active = document.activeElement;
    if (!(wanted.form && active && active.form === wanted.form)) {
      wanted.focus();
    }
  }
});

// The CSRF token is read from its cookie for every htmx request, not only from the page:
// signing in again (in another tab, after the session ran out) gives a new token, and
// the form still open here must be able to send it.
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    var token = decodeURIComponent(match[1]);
    event.detail.headers["X-CSRFToken"] = token;
    // Django reads the form's hidden field before the header, so renew that too.
    if (event.detail.parameters && event.detail.parameters.csrfmiddlewaretoken) {
      event.detail.parameters.csrfmiddlewaretoken = token;
    }
  }
});

// htmx does not swap an error response, so without this a failed save would look like
// nothing happened. Say what went wrong in Swedish; the form and what the user typed stay
// as they are. textContent, never HTML: nothing from the response is interpreted.
function visaFel(text, lank) {
  var main = document.getElementById("innehall");
  var ruta = document.getElementById("htmx-fel");
  if (!ruta) {
    ruta = document.createElement("div");
    ruta.id = "htmx-fel";
    ruta.className = "felruta";
    ruta.setAttribute("role", "alert");
    main.insertBefore(ruta, main.firstChild);
  }
  var p = document.createElement("p");
  p.textContent = text;
  ruta.replaceChildren(p);
  if (lank) {
    var a = document.createElement("a");
    a.href = lank.href;
    a.target = "_blank";
    a.textContent = lank.text;
    p.append(" ", a);
  }
}

document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var sparar = (event.detail.requestConfig.verb || "get").toLowerCase() !== "get";
  var vad = sparar ? "Det gick inte att spara" : "Det gick inte att hämta sidan";
  if (status === 401) {
    visaFel("Du har blivit utloggad, till exempel för att du inte använt tjänsten på länge. " +
      "Det du skrivit finns kvar här: logga in i en ny flik och försök sedan igen på den här sidan.",
      {href: "/konto/logga-in/", text: "Logga in (öppnas i en ny flik)"});
  } else if (status === 403) {
    visaFel(vad + ": du saknar behörighet, eller så är sidan för gammal. " +
      "Kopiera det du skrivit, ladda om sidan och försök igen.");
  } else if (status === 503) {
    visaFel("Tjänsten är tillfälligt otillgänglig. Vänta en stund och försök igen; " +
      "det du skrivit finns kvar.");
  } else {
    visaFel(vad + " (felkod " + status + "). Det du skrivit finns kvar. " +
      "Försök igen, eller ladda om sidan.");
  }
});

document.addEventListener("htmx:sendError", function () {
  visaFel("Kunde inte nå servern. Kontrollera anslutningen och försök igen; " +
    "det du skrivit finns kvar.");
});

// A later request that succeeds takes the old message away.
document.addEventListener("htmx:afterRequest", function (event) {
  var ruta = document.getElementById("htmx-fel");
  if (ruta && event.detail.successful) {
    ruta.remove();
  }
});
