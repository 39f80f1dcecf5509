// Effektkedjor: the only script of our own. It keeps keyboard focus where the user is
// working when htmx swaps content in place: the server marks the element to focus with
// data-fokus (a form's first field, the confirm button, the row's "Ändra" link after
// saving). A file, not inline script, so a strict Content Security Policy allows it.
document.addEventListener("htmx:afterSettle", function () {
  var wanted = document.querySelector("[data-fokus]");
  if (wanted) {
    wanted.removeAttribute("data-fokus");
    wanted.focus();
  }
});

// htmx does not swap an error response, so without this a failed save would look like
// nothing happened. Say what went wrong in Swedish; the form and what the user typed stay
// as they are. textContent, never HTML: nothing from the response is interpreted.
function visaFel(text) {
  var main = document.getElementById("innehall");
  var ruta = document.getElementById("htmx-fel");
  if (!ruta) {
    ruta = document.createElement("div");
    ruta.id = "htmx-fel";
    ruta.className = "felruta";
    ruta.setAttribute("role", "alert");
    main.insertBefore(ruta, main.firstChild);
  }
  ruta.textContent = text;
}

document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 403) {
    visaFel("Det gick inte att spara: du saknar behörighet, eller så är sidan för gammal. " +
      "Kopiera det du skrivit, ladda om sidan och försök igen.");
  } else if (status === 503) {
    visaFel("Tjänsten är tillfälligt otillgänglig. Vänta en stund och försök igen; " +
      "det du skrivit finns kvar.");
  } else {
    visaFel("Något gick fel (felkod " + status + "). Det du skrivit finns kvar. " +
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
