package store

// Strategies of DashboardStats, for the tests that check both give the same figures.
const (
	StrategyAuto       = strategyAuto
	StrategyDirect     = strategyDirect
	StrategyComplement = strategyComplement
)

// SetStatsStrategy makes DashboardStats use strategy until the returned function is called.
func SetStatsStrategy(strategy int) (restore func()) {
	old := statsStrategy
	statsStrategy = strategy
	return func() { statsStrategy = old }
}

// SetStatsParallel makes DashboardStats count answers on two connections
// (or one) whatever their number, until the returned function is called.
func SetStatsParallel(on bool) (restore func()) {
	old := statsParallel
	statsParallel = func(int) bool { return on }
	return func() { statsParallel = old }
}

// ParseInstanceCounts is parseInstanceCounts, for the tests.
var ParseInstanceCounts = parseInstanceCounts
