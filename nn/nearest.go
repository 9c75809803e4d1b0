package nn

import "strings"

// Nearest returns the candidate closest to name by edit distance (ignoring
// case), for a "did you mean ...?" after a typo, or "" when none is close:
// a suggestion must be at most about a third of name's letters away (at
// least one), so that "epocs" finds "epochs" but "lr" does not find
// "loss". Ties go to the earlier candidate. It serves unknown arguments
// (Args.Err) and unknown names alike, so every typo is answered the same way.
func Nearest(name string, candidates []string) string {
	limit := max(1, len([]rune(name))/3)
	best, bestD := "", limit+1
	low := strings.ToLower(name)
	for _, c := range candidates {
		if d := editDistance(low, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (insertions,
// deletions and substitutions of one rune each cost 1), with one row of
// the dynamic-programming table.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0] // the table's (i-1, j-1)
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			up := row[j]
			row[j] = min(up+1, row[j-1]+1, diag+cost)
			diag = up
		}
	}
	return row[len(rb)]
}
