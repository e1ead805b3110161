package expr_test

import (
	"math"
	"testing"

	"canvass/survey/expr"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{2, "2"},
		{2.5, "2.5"},
		{-0.25, "-0.25"},
		{0.1 + 0.2, "0.3"},
		{math.Copysign(0, -1), "0"},
		{1e21, "1000000000000000000000"},
		{123456789012, "123456789012"},
		{1.0 / 3, "0.333333333333333"},
		{math.NaN(), ""},
		{math.Inf(1), ""},
		{math.Inf(-1), ""},
	}
	for _, tc := range tests {
		if got := expr.FormatNumber(tc.in); got != tc.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValueNumber(t *testing.T) {
	tests := []struct {
		name string
		v    expr.Value
		want float64
		ok   bool
	}{
		{"decimal string", expr.String("2.50"), 2.5, true},
		{"negative string", expr.String("-3"), -3, true},
		{"spaces", expr.String(" 7 "), 7, true},
		{"leading point", expr.String(".5"), 0.5, true},
		{"trailing point", expr.String("5."), 5, true},
		{"blank", expr.String(""), math.NaN(), false},
		{"text", expr.String("abc"), math.NaN(), false},
		{"plus sign", expr.String("+1"), math.NaN(), false},
		{"exponent", expr.String("1e3"), math.NaN(), false},
		{"word Inf", expr.String("Inf"), math.NaN(), false},
		{"lone minus", expr.String("-"), math.NaN(), false},
		{"true", expr.Bool(true), 1, true},
		{"false", expr.Bool(false), 0, true},
		{"number", expr.Number(4), 4, true},
		{"infinity", expr.Number(math.Inf(1)), math.Inf(1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.v.Number()
			if ok != tc.ok || !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("Number() = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestValueBoolAndBlank(t *testing.T) {
	tests := []struct {
		name        string
		v           expr.Value
		bool, blank bool
	}{
		{"zero value", expr.Value{}, false, true},
		{"empty string", expr.String(""), false, true},
		{"text false", expr.String("false"), true, false},
		{"zero", expr.Number(0), false, false},
		{"NaN", expr.Number(math.NaN()), false, true},
		{"infinity", expr.Number(math.Inf(-1)), true, true},
		{"true", expr.Bool(true), true, false},
		{"false", expr.Bool(false), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.Bool(); got != tc.bool {
				t.Errorf("Bool() = %v, want %v", got, tc.bool)
			}
			if got := tc.v.IsBlank(); got != tc.blank {
				t.Errorf("IsBlank() = %v, want %v", got, tc.blank)
			}
		})
	}
}
