## PYNQ-Z2 (xc7z020clg400-1): board pins for a unetq design's clock, reset and status.
## The accelerator's pixel and mask streams are meant to be connected inside a block design (AXI4-Stream
## to an AXI DMA on the Zynq PS), so they have no package pins here. Pin data: TUL PYNQ-Z2 master XDC.

## 125 MHz system clock (sysclk). The generated folder's constraints/clock.xdc sets the period
## from --clock-mhz when the design is clocked from the PS or a clocking wizard instead.
set_property -dict { PACKAGE_PIN H16 IOSTANDARD LVCMOS33 } [get_ports { clk }]
create_clock -add -name sys_clk_pin -period 8.00 -waveform {0 4} [get_ports { clk }]

## BTN0 as the synchronous reset (active high)
set_property -dict { PACKAGE_PIN D19 IOSTANDARD LVCMOS33 } [get_ports { rst }]

## LD0 shows the sticky framing error
set_property -dict { PACKAGE_PIN R14 IOSTANDARD LVCMOS33 } [get_ports { framing_error }]
