# A hot loop of 256-bit multiply-adds (hot-loops.test: narrower than AVX-512).
.LBB0_1:
	vfmadd231ps	%ymm1, %ymm2, %ymm3
	jne	.LBB0_1
