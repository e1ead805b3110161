package web

import (
	"fmt"
	"image"
	"strings"

	qr "github.com/piglig/go-qr"
)

// quietZone is the blank border, in modules, that scanners need around a code.
const quietZone = 4

// QRCode encodes url as a QR code with medium error correction.
func QRCode(url string) (*qr.QrCode, error) {
	code, err := qr.EncodeText(url, qr.Medium)
	if err != nil {
		return nil, fmt.Errorf("make the QR code: %w", err)
	}
	return code, nil
}

// QRImage renders url's QR code as an image, scale pixels a module, dark
// on white whatever the theme (phones read that best).
func QRImage(url string, scale int) (image.Image, error) {
	code, err := QRCode(url)
	if err != nil {
		return nil, err
	}
	img, err := code.ToImage(qr.NewQrCodeImgConfig(scale, quietZone))
	if err != nil {
		return nil, fmt.Errorf("draw the QR code: %w", err)
	}
	return img, nil
}

// QRText renders url's QR code for a terminal: two modules a character
// with half blocks, dark modules as spaces on a light background would
// need colours, so light modules are drawn and dark ones left blank; it
// reads correctly on a dark terminal.
func QRText(url string) (string, error) {
	code, err := QRCode(url)
	if err != nil {
		return "", err
	}
	n := code.Size()
	light := func(x, y int) bool {
		if x < 0 || y < 0 || x >= n || y >= n {
			return true
		}
		return !code.Module(x, y)
	}
	var b strings.Builder
	for y := -quietZone; y < n+quietZone; y += 2 {
		for x := -quietZone; x < n+quietZone; x++ {
			top, bottom := light(x, y), light(x, y+1)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
