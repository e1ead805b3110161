package app

// PerHourBars exposes perHourBars to the tests of the dashboard.
var PerHourBars = perHourBars
