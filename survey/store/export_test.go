package store

// EachResponseSQL exposes EachResponse's query to the tests, which check
// that SQLite can stream it without sorting.
var EachResponseSQL = eachResponseSQL
