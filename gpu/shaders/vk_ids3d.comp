// gpu/shaders/vk_ids3d.comp — 3-D dispatch check: every invocation inside
// the global range (dims[0..2]) writes its packed global id to its own
// slot; invocations of partial groups outside the range write nothing.
#version 450
layout(local_size_x = 4, local_size_y = 4, local_size_z = 2) in;
layout(std430, set = 0, binding = 0) readonly buffer Dims { uint dims[4]; };
layout(std430, set = 0, binding = 1) buffer Out { uint o[]; };
void main()
{
    uvec3 g = gl_GlobalInvocationID;
    if (g.x >= dims[0] || g.y >= dims[1] || g.z >= dims[2])
        return;
    uint slot = g.x + dims[0] * (g.y + dims[1] * g.z);
    atomicAdd(o[slot], 1u + g.x + (g.y << 10) + (g.z << 20));
}
