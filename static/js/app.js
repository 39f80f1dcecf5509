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
