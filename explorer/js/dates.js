// Partial dates ("1957", "2023-10", "2022-03-18"): where they sit on a year axis, and how they read.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The moment a partial date begins, as a fractional year: "2023-10" is 2023.75. */
export function yearOf(date) {
  const [year, month = 1, day = 1] = date.split("-").map(Number);
  return year + (month - 1) / 12 + (day - 1) / 365;
}

/** Today as a fractional year. */
export function thisYear() {
  const now = new Date();
  return now.getFullYear() + now.getMonth() / 12 + (now.getDate() - 1) / 365;
}

/** A partial date as people write it: 1957, Oct 2023, 18 Mar 2022. */
export function formatDate(date) {
  const [year, month, day] = date.split("-");
  if (!month) {
    return year;
  }
  const monthName = MONTHS[Number(month) - 1];
  return day ? `${Number(day)} ${monthName} ${year}` : `${monthName} ${year}`;
}

/** From one partial date to another, either of which may be missing. */
export function formatSpan(from, to) {
  if (from && to) {
    return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
  }
  if (from) {
    return `from ${formatDate(from)}`;
  }
  return to ? `until ${formatDate(to)}` : "dates unknown";
}
