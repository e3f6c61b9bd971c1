# A hot loop with a spill (hot-loops.test checks that hot_loops.py fails on it).
.LBB0_1:
	vfmadd231ps	%zmm1, %zmm2, %zmm3
	vmovups	%zmm4, 64(%rsp)	# 64-byte Spill
	jne	.LBB0_1
