package survey

// GroupThousands exposes groupThousands to the external tests.
var GroupThousands = groupThousands
