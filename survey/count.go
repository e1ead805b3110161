package survey

import "fmt"

// Counted says n with the noun in the right number: "1 event", "2 events".
func Counted(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, Pick(n, one, many))
}

// Pick returns one when n is 1, else many ("response was" / "responses were").
func Pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
